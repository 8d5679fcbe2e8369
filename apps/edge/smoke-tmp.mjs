import { ZoneSet, startDnsServer } from "./.smoke-build/src/index.js";
import { fixtureZone } from "./.smoke-build/test/helpers/fixture-zone.js";
const zones = new ZoneSet(); zones.put("Z1", fixtureZone());
const log = { debug(){}, info(){}, warn(o,m){console.log(m,o)}, error(o,m){console.log(m,o)} };
const s = await startDnsServer({ host: "127.0.0.1", port: 5391, zones, transfer: { allow: ["127.0.0.1"], tsigKeys: [{name:"k1", algorithm:"hmac-sha256", secret: Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}], requireTsig: false }, logger: log });
console.log("port", s.port);
setTimeout(()=>s.close(), 120000);
