export { API_VERSION, type AppDeps, createApp, createServices, openApiDocument } from "./app.js";
export { type Config, loadConfig } from "./config.js";
export { startAutoPublisher } from "./domain/publish/auto-publisher.js";
export { publishZoneById } from "./domain/publish/publish-zone.js";
export type { EdgeFleet, Mailer, Services } from "./domain/services.js";
export { createLogger } from "./lib/logger.js";
export { createDevelopmentMailer } from "./mail/development-mailer.js";
export { createSmtpMailer } from "./mail/smtp-mailer.js";
export { domainSettings } from "./settings.js";
