export { ZoneSet } from "./zones/zone-set.js";
export { LoadedZone, ZoneLoadError, type LoadedRRset, type ZoneNode } from "./zones/loaded-zone.js";
export { startDnsServer, type DnsServerOptions, type EdgeLogger, type RunningDnsServer } from "./server/dns-server.js";
export type { NotifyAck, RequestContext } from "./server/handle-request.js";
export { sendNotify, type NotifyOptions, type NotifyTarget } from "./transfer/send-notify.js";
export type { TransferPolicy } from "./transfer/transfer-acl.js";
export type { TsigKey } from "./transfer/tsig.js";
export { answerQuery } from "./resolver/answer-query.js";
export type { ResponsePlan } from "./resolver/response-plan.js";
