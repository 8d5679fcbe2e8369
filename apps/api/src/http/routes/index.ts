import type { Route } from "../route.js";
import { acmeChallengeRoute } from "./acme/acme-challenge.js";
import { legoHttpreqCleanupRoute, legoHttpreqPresentRoute } from "./acme/lego-httpreq.js";
import { listAuditEntriesRoute } from "./audit/list-audit-entries.js";
import { verifyAuditLogRoute } from "./audit/verify-audit-log.js";
import { exchangeMagicLinkRoute } from "./auth/exchange-magic-link.js";
import { requestMagicLinkRoute } from "./auth/request-magic-link.js";
import { signOutRoute } from "./auth/sign-out.js";
import { checkDelegationRoute } from "./checks/check-delegation.js";
import { checkParityRoute } from "./checks/check-parity.js";
import { getDnssecRoute } from "./dnssec/get-dnssec.js";
import { setDnssecRoute } from "./dnssec/set-dnssec.js";
import { startKskRolloverRoute } from "./dnssec/start-ksk-rollover.js";
import { diffZoneRoute } from "./history/diff-zone.js";
import { getSnapshotRoute } from "./history/get-snapshot.js";
import { listSnapshotsRoute } from "./history/list-snapshots.js";
import { rollbackZoneRoute } from "./history/rollback-zone.js";
import { importRoute53Route } from "./imports/import-route53.js";
import { importZoneFileRoute } from "./imports/import-zone-file.js";
import { healthRoute } from "./meta/health.js";
import { healthLiveRoute } from "./meta/health-live.js";
import { healthReadyRoute } from "./meta/health-ready.js";
import { changeRRsetsRoute } from "./rrsets/change-rrsets.js";
import { getRRsetRoute } from "./rrsets/get-rrset.js";
import { listRRsetsRoute } from "./rrsets/list-rrsets.js";
import { listTokensRoute } from "./tokens/list-tokens.js";
import { listZoneTokensRoute } from "./tokens/list-zone-tokens.js";
import { mintTokenRoute } from "./tokens/mint-token.js";
import { mintZoneTokenRoute } from "./tokens/mint-zone-token.js";
import { revokeTokenRoute } from "./tokens/revoke-token.js";
import { createTsigKeyRoute } from "./tsig-keys/create-tsig-key.js";
import { listTsigKeysRoute } from "./tsig-keys/list-tsig-keys.js";
import { revokeTsigKeyRoute } from "./tsig-keys/revoke-tsig-key.js";
import { createZoneRoute } from "./zones/create-zone.js";
import { deleteZoneRoute } from "./zones/delete-zone.js";
import { exportZoneFileRoute } from "./zones/export-zone-file.js";
import { getZoneRoute } from "./zones/get-zone.js";
import { getZoneServersRoute } from "./zones/get-zone-servers.js";
import { listZonesRoute } from "./zones/list-zones.js";
import { publishZoneRoute } from "./zones/publish-zone.js";

/** Every operation of the API, in the order the OpenAPI document lists them. */
export const routes: readonly Route[] = [
  // auth
  requestMagicLinkRoute,
  exchangeMagicLinkRoute,
  signOutRoute,
  // zones
  listZonesRoute,
  createZoneRoute,
  getZoneRoute,
  deleteZoneRoute,
  publishZoneRoute,
  getZoneServersRoute,
  exportZoneFileRoute,
  // rrsets
  listRRsetsRoute,
  changeRRsetsRoute,
  getRRsetRoute,
  // history
  listSnapshotsRoute,
  getSnapshotRoute,
  diffZoneRoute,
  rollbackZoneRoute,
  // dnssec
  getDnssecRoute,
  setDnssecRoute,
  startKskRolloverRoute,
  // checks
  checkDelegationRoute,
  checkParityRoute,
  // acme
  acmeChallengeRoute,
  legoHttpreqPresentRoute,
  legoHttpreqCleanupRoute,
  // tokens
  listZoneTokensRoute,
  mintZoneTokenRoute,
  listTokensRoute,
  mintTokenRoute,
  revokeTokenRoute,
  // tsig keys (RFC 2136 updates)
  listTsigKeysRoute,
  createTsigKeyRoute,
  revokeTsigKeyRoute,
  // import
  importRoute53Route,
  importZoneFileRoute,
  // audit
  listAuditEntriesRoute,
  verifyAuditLogRoute,
  // meta
  healthRoute,
  healthLiveRoute,
  healthReadyRoute,
];
