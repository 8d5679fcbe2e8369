export { type EdgeWorkers, type EdgeWorkersOptions, startEdgeWorkers } from "./cluster/edge-workers.js";
export { NotifyCoordinator } from "./cluster/notify-coordinator.js";
export { type EdgeConfig, type EdgeProcessConfig, type EdgeRole, loadEdgeConfig } from "./config.js";
export { createEdgeMetrics, type EdgeMetrics } from "./metrics/edge-metrics.js";
export { bearerMatches, type MetricsServer, startMetricsServer } from "./metrics/metrics-server.js";
export {
  configurationError,
  DEFAULT_DATA_DIR,
  LOG_LEVELS,
  type LogLevel,
  ProcessEnv,
  type ProcessSettings,
  processSettings,
} from "./process-env.js";
export { answerQuery } from "./resolver/answer-query.js";
export type { ResponsePlan } from "./resolver/response-plan.js";
export {
  type DnsServerOptions,
  type EdgeLogger,
  type RunningDnsServer,
  startDnsServer,
} from "./server/dns-server.js";
export type { NotifyAck, RequestContext } from "./server/handle-request.js";
export { RRL_DEFAULTS, type RrlOptions } from "./server/response-rate-limit.js";
export { TCP_DEFAULTS, type TcpLimits } from "./server/tcp-front.js";
export { type Edge, startEdge } from "./start-edge.js";
export { databaseRecorder, type EdgeRecorder } from "./sync/snapshot-sync.js";
export { type NotifyOptions, type NotifyTarget, sendNotify } from "./transfer/send-notify.js";
export type { TransferPolicy } from "./transfer/transfer-acl.js";
export {
  appendTsig,
  HMAC_SHA256,
  type ResolvedKey,
  type TsigKey,
  TsigKeyring,
  verifyRequest,
} from "./transfer/tsig.js";
export { CLASS_ANY, CLASS_IN, CLASS_NONE, RCODE, TSIG_ERROR, TYPE } from "./wire/constants.js";
export {
  type DecodedMessage,
  type DecodedRR,
  DecodeError,
  decodeHeader,
  decodeMessage,
  Reader,
} from "./wire/decode-message.js";
export { keyToWire } from "./wire/names.js";
export {
  LoadedZone,
  type NodeRef,
  type RRsetChange,
  type RRsetRef,
  ZoneLoadError,
} from "./zones/loaded-zone.js";
export { ZoneSet } from "./zones/zone-set.js";
