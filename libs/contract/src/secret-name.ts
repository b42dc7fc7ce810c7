/**
 * Environment variable names that say "secret". A Kubernetes construct refuses a literal value
 * under one of these names (it would be written into the manifest), and the manifest policy
 * check flags one.
 */
export const SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS?)/i;
