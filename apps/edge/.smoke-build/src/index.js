export { ZoneSet } from "./zones/zone-set.js";
export { LoadedZone, ZoneLoadError } from "./zones/loaded-zone.js";
export { startDnsServer } from "./server/dns-server.js";
export { sendNotify } from "./transfer/send-notify.js";
export { answerQuery } from "./resolver/answer-query.js";
//# sourceMappingURL=index.js.map