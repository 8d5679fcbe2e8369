import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { DnscoveProvider, dataSources, endpointDiagnostic, providerSchema, resources } from "../provider.js";
import type { DataSourceType, Obj, ResourceType } from "../resources/context.js";
import { planResourceChange } from "../resources/plan-change.js";
import { objectType, toProtoSchema } from "../schema.js";
import { type CtyValue, fromDynamic, toDynamic } from "./cty.js";
import { type Diagnostic, errorDiagnostic, toDiagnostic } from "./diagnostics.js";
import { log } from "./log.js";

/** The vendored .proto files: <package>/proto, two levels above dist/protocol/. */
export const PROTO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../proto");

// biome-ignore lint/suspicious/noExplicitAny: messages are plain objects built by proto-loader
type Msg = any;
type Handler = (request: Msg) => Promise<Msg> | Msg;

/** The descriptors of proto/*.proto as JSON, put in by scripts/bundle.mjs (absent unbundled). */
declare const __DNSCOVE_PROTO_JSON__: string | undefined;

export const PROTO_FILES = ["tfplugin6.proto", "goplugin.proto", "health.proto"];
export const PROTO_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

function loadPackages() {
  // The bundle carries the descriptors pre-parsed: parsing the .proto text is a visible part of a
  // start, and Terraform starts the provider three times per plan.
  const definition =
    typeof __DNSCOVE_PROTO_JSON__ === "string"
      ? protoLoader.fromJSON(JSON.parse(__DNSCOVE_PROTO_JSON__), PROTO_OPTIONS)
      : protoLoader.loadSync(PROTO_FILES, { ...PROTO_OPTIONS, includeDirs: [PROTO_DIR] });
  return grpc.loadPackageDefinition(definition) as Msg;
}

function asObj(value: CtyValue): Obj | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : null;
}

function unary(name: string, handler: Handler): grpc.handleUnaryCall<Msg, Msg> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          log("error", `${name} failed`, { error: String(error) });
          callback({ code: grpc.status.INTERNAL, details: String(error) });
        },
      );
  };
}

function resourceType(typeName: string): ResourceType {
  const resource = resources[typeName];
  if (!resource) throw new Error(`dnscove has no resource ${typeName}`);
  return resource;
}

function dataSourceType(typeName: string): DataSourceType {
  const dataSource = dataSources[typeName];
  if (!dataSource) throw new Error(`dnscove has no data source ${typeName}`);
  return dataSource;
}

function unknownType(kind: string, typeName: string): { diagnostics: Diagnostic[] } {
  return { diagnostics: [errorDiagnostic(`Unknown ${kind}`, `dnscove has no ${kind} ${typeName}`)] };
}

const capabilities = { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: false };

/** The tfplugin6.Provider service implementation: decodes, dispatches by type name, encodes. */
export function providerService(provider = new DnscoveProvider(), onStop: () => void = () => {}) {
  const ctx = provider.context;
  const schemas = <T extends { schema: Parameters<typeof toProtoSchema>[0] }>(types: Record<string, T>) =>
    Object.fromEntries(Object.entries(types).map(([name, t]) => [name, toProtoSchema(t.schema)]));
  const handlers: Record<string, Handler> = {
    GetMetadata: () => ({
      server_capabilities: capabilities,
      diagnostics: [],
      resources: Object.keys(resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(dataSources).map((type_name) => ({ type_name })),
    }),
    GetProviderSchema: () => ({
      provider: toProtoSchema(providerSchema),
      provider_meta: { version: 0, block: { version: 0, attributes: [], block_types: [], description: "" } },
      resource_schemas: schemas(resources),
      data_source_schemas: schemas(dataSources),
      diagnostics: [],
      server_capabilities: capabilities,
    }),
    ValidateProviderConfig: (request) => {
      const endpoint = asObj(fromDynamic(request.config))?.endpoint;
      const invalid = typeof endpoint === "string" ? endpointDiagnostic(endpoint) : undefined;
      return { diagnostics: invalid ? [invalid] : [] };
    },
    ConfigureProvider: (request) => ({ diagnostics: provider.configure(asObj(fromDynamic(request.config))) }),
    ValidateResourceConfig: (request) => {
      const resource = resources[request.type_name];
      if (!resource) return unknownType("resource", request.type_name);
      const config = asObj(fromDynamic(request.config));
      return { diagnostics: config ? resource.validate(config) : [] };
    },
    ValidateDataResourceConfig: (request) => {
      const dataSource = dataSources[request.type_name];
      if (!dataSource) return unknownType("data source", request.type_name);
      const config = asObj(fromDynamic(request.config));
      return { diagnostics: config ? dataSource.validate(config) : [] };
    },
    UpgradeResourceState: (request) => {
      const type = objectType(resourceType(request.type_name).schema);
      const json = request.raw_state?.json;
      const raw = json && json.length > 0 ? JSON.parse(Buffer.from(json).toString("utf8")) : null;
      return { upgraded_state: toDynamic(type, raw), diagnostics: [] };
    },
    ReadResource: async (request) => {
      const resource = resourceType(request.type_name);
      const type = objectType(resource.schema);
      const current = asObj(fromDynamic(request.current_state));
      try {
        const next = current ? await resource.read(ctx, current) : null;
        return { new_state: toDynamic(type, next), diagnostics: [], private: request.private };
      } catch (error) {
        return {
          new_state: toDynamic(type, current),
          diagnostics: [toDiagnostic(error, `Reading ${request.type_name}`)],
          private: request.private,
        };
      }
    },
    PlanResourceChange: async (request) => {
      const resource = resourceType(request.type_name);
      try {
        const result = await planResourceChange(
          resource,
          ctx,
          asObj(fromDynamic(request.prior_state)),
          asObj(fromDynamic(request.proposed_new_state)),
          asObj(fromDynamic(request.config)),
        );
        return {
          planned_state: toDynamic(objectType(resource.schema), result.planned),
          requires_replace: result.requiresReplace.map((name) => ({ steps: [{ attribute_name: name }] })),
          planned_private: request.prior_private,
          diagnostics: result.diagnostics,
        };
      } catch (error) {
        return { diagnostics: [toDiagnostic(error, `Planning ${request.type_name}`)] };
      }
    },
    ApplyResourceChange: async (request) => {
      const resource = resourceType(request.type_name);
      const type = objectType(resource.schema);
      const prior = asObj(fromDynamic(request.prior_state));
      try {
        const next = await resource.apply(ctx, prior, asObj(fromDynamic(request.planned_state)));
        return { new_state: toDynamic(type, next), private: request.planned_private, diagnostics: [] };
      } catch (error) {
        // On failure keep what existed before, so state still points at it.
        return {
          new_state: toDynamic(type, prior),
          diagnostics: [toDiagnostic(error, `Applying ${request.type_name}`)],
        };
      }
    },
    ImportResourceState: async (request) => {
      const resource = resourceType(request.type_name);
      try {
        const state = await resource.import(ctx, request.id);
        return {
          imported_resources: [
            {
              type_name: request.type_name,
              state: toDynamic(objectType(resource.schema), state),
              private: Buffer.alloc(0),
            },
          ],
          diagnostics: [],
        };
      } catch (error) {
        return {
          imported_resources: [],
          diagnostics: [toDiagnostic(error, `Importing ${request.type_name}`)],
        };
      }
    },
    ReadDataSource: async (request) => {
      const dataSource = dataSourceType(request.type_name);
      try {
        const config = asObj(fromDynamic(request.config)) ?? {};
        const state = await dataSource.read(ctx, config);
        return { state: toDynamic(objectType(dataSource.schema), state), diagnostics: [] };
      } catch (error) {
        return { diagnostics: [toDiagnostic(error, `Reading data source ${request.type_name}`)] };
      }
    },
    StopProvider: () => {
      onStop();
      return { Error: "" };
    },
  };
  return Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, unary(name, h)]));
}

export interface ServeOptions {
  /** PEM of the client's certificate (PLUGIN_CLIENT_CERT); TLS is off without it. */
  clientCertPem?: string;
  serverCert?: { certPem: string; keyPem: string };
  onShutdown: () => void;
}

/** Starts the gRPC server on 127.0.0.1 with every service go-plugin's client expects. */
export async function startServer(options: ServeOptions): Promise<{ server: grpc.Server; port: number }> {
  const pkgs = loadPackages();
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 256 << 20,
    "grpc.max_send_message_length": 256 << 20,
    // Channelz (per-call counters and timestamps for gRPC's introspection service) is never
    // queried here, and a plan of 2,000 rrsets makes some 8,000 calls.
    "grpc.enable_channelz": 0,
  });
  server.addService(pkgs.tfplugin6.Provider.service, providerService());
  server.addService(pkgs.plugin.GRPCController.service, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<Msg>) => {
      callback(null, {});
      options.onShutdown();
    },
  });
  server.addService(pkgs.plugin.GRPCStdio.service, {
    // We never write to our own stdout/stderr through the broker: end the stream at once.
    StreamStdio: (call: grpc.ServerWritableStream<Msg, Msg>) => call.end(),
  });
  server.addService(pkgs.grpc.health.v1.Health.service, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<Msg>) => callback(null, { status: "SERVING" }),
  });
  const credentials =
    options.clientCertPem && options.serverCert
      ? grpc.ServerCredentials.createSsl(
          Buffer.from(options.clientCertPem),
          [
            {
              cert_chain: Buffer.from(options.serverCert.certPem),
              private_key: Buffer.from(options.serverCert.keyPem),
            },
          ],
          true,
        )
      : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  return { server, port };
}
