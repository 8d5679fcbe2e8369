import type { components } from "./generated/schema.js";

export { type ClientOptions, createClient, type DnscoveClient, unwrap } from "./client.js";
export { clientFromEnv, DEFAULT_BASE_URL, type DnscoveEnv } from "./client-from-env.js";
export { describeError } from "./describe-error.js";
export { DnscoveApiError, type Problem, type ProblemCode } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export { DnscoveNetworkError } from "./network.js";

type Schemas = components["schemas"];
export type Zone = Schemas["Zone"];
export type RRset = Schemas["RRset"];
export type RRsetChange = Schemas["RRsetChange"];
export type Token = Schemas["Token"];
export type MintedToken = Schemas["MintedToken"];
export type TsigKey = Schemas["TsigKey"];
export type CreatedTsigKey = Schemas["CreatedTsigKey"];
