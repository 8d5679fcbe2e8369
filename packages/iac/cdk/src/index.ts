export {
  DEFAULT_API_URL,
  DEFAULT_TOKEN_SECRET_NAME,
  DnsCoveProvider,
  type DnsCoveProviderProps,
  locateHandlerBundle,
} from "./provider.js";
export {
  DEFAULT_TTL,
  DnsCoveRRset,
  type DnsCoveRRsetOptions,
  type DnsCoveRRsetProps,
  RRSET_RESOURCE_TYPE,
} from "./rrset.js";
export { DnsCoveZone, type DnsCoveZoneProps, ZONE_RESOURCE_TYPE } from "./zone.js";
