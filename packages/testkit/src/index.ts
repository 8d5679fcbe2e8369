export type { ApiProcess } from "./api-process.js";
export { startApiProcess } from "./api-process.js";
export type { PostgresServer } from "./postgres-server.js";
export { freePort, startPostgres } from "./postgres-server.js";
export type { RunningProcess } from "./processes.js";
export { dig, digStatus, startNodeProcess, waitFor } from "./processes.js";
export type { ReceivedMail, SmtpReceiver } from "./smtp-receiver.js";
export { startSmtpReceiver } from "./smtp-receiver.js";
