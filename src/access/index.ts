export { ROLES, ALL_SCHOOLS, type Role, type Principal } from './principal';
export { ACCESS_TABLE, CAPABILITIES, type Capability, type Reach } from './policy';
export { PROTECTED_ROUTES, type ProtectedRoute } from './routes';
export { decideAccess, type AccessDecision, type CaseFacts } from './decide';
export {
  createTokenVerifier,
  generateSigningKey,
  localKeys,
  localSigningKey,
  signToken,
  LOCAL_ISSUER,
  DEFAULT_AUDIENCE,
  TokenRejected,
  IdentityProviderUnavailable,
  type SigningKey,
  type TokenVerifier,
} from './tokens';
export { tokenVerifierFor } from './setup';
export { authenticate, accessGuard, principalOf } from './guard';
export { createAuditLog, auditQuery, auditList, type AuditLog } from './auditLog';
export { auditRouter } from './auditRoutes';
export { codecSessionRouter, CODEC_SESSION_COOKIE } from './codecSession';
export { accessTableMarkdown } from './describe';
