export type { CloudFormationEvent, CloudFormationResponse, LambdaContext } from "./event.js";
export {
  canonicalOrigin,
  canonicalOwnerName,
  type HandlerDeps,
  type HandlerResult,
  handle,
  PropertyError,
  parseRRsetPhysicalId,
  RRSET_TYPE,
  rrsetPhysicalId,
  ZONE_TYPE,
} from "./handler.js";
export { handler, reasonOf, TIMEOUT_MARGIN_MS } from "./lambda.js";
export { fitResponse, MAX_BODY_BYTES, responseBody, sendResponse } from "./response.js";
