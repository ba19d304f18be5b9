export { ClaimsError, type ClaimsErrorCode } from './errors.ts';
export { claimConfig, type ClaimConfig } from './claim-config.ts';
export {
  ClaimsClient,
  type ClaimOutcome,
  type ClaimsClientOptions,
  type RequestOptions,
} from './claims-client.ts';
