/**
 * Request bodies over ≈1.2 MB are reported to be dropped by the backend without an answer after ≈15 s
 * (protocol §10): refuse before sending, with room left for the JSON around the parts.
 */
export const REQUEST_BUDGET_BYTES = 1_100_000;
