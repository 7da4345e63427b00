/**
 * The request size limit, 1.1 MB (1,100,000 bytes) of prompt, files, images, system prompt and history: bodies a
 * little larger (≈1.2 MB) are reported to be dropped by the backend without an answer after ≈15 s (protocol §10),
 * so codex refuses before sending, with room left for the JSON around the parts. The docs state this one number.
 */
export const REQUEST_BUDGET_BYTES = 1_100_000;
