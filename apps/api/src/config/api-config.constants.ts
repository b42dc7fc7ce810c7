/** Injection token of the validated {@link ApiConfig}. */
export const API_CONFIG = Symbol('API_CONFIG');
