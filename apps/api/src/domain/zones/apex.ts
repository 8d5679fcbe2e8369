import type { SnapshotRRset } from "@dnscove/db";
import type { ZoneDefaults } from "../domain-settings.js";

/** The system-managed apex records: SOA (its serial is the published serial) and NS. */
export function apexRRsets(origin: string, serial: number, defaults: ZoneDefaults): SnapshotRRset[] {
  const apex = `${origin}.`;
  const [primary = apex] = defaults.nameservers;
  const soa = [
    primary,
    defaults.soaRname,
    serial,
    defaults.soaRefresh,
    defaults.soaRetry,
    defaults.soaExpire,
    defaults.soaMinimum,
  ].join(" ");
  return [
    { name: apex, type: "SOA", ttl: defaults.soaTtl, records: [soa] },
    { name: apex, type: "NS", ttl: defaults.nsTtl, records: [...defaults.nameservers].sort() },
  ];
}
