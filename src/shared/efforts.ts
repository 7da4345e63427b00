/**
 * Every reasoning level a catalog entry has offered (protocol §10: current models take low … xhigh, max, ultra;
 * `none` and `minimal` were offered by older ones). A model's own `supported_reasoning_levels` decide.
 */
export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;
export type Effort = (typeof EFFORTS)[number];
