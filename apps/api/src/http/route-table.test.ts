import { describe, expect, it } from "vitest";
import { ValidationError } from "../domain/errors.js";
import { RouteTable } from "./route-table.js";

function table(): RouteTable<string> {
  const routes = new RouteTable<string>();
  routes.add("get", "/zones", "listZones");
  routes.add("post", "/zones", "createZone");
  routes.add("get", "/zones/:id", "getZone");
  routes.add("get", "/zones/:id/rrsets/:name/:type", "getRRset");
  routes.add("get", "/zones/:id/snapshots/:serial", "getSnapshot");
  routes.add("get", "/health", "health");
  routes.add("get", "/health/ready", "healthReady");
  return routes;
}

describe("RouteTable (the API's routes, matched as Express 5's router matched them)", () => {
  it("finds the route for a method and path, with its parameters", () => {
    expect(table().find("GET", "/zones")).toEqual({ value: "listZones", params: {} });
    expect(table().find("POST", "/zones")).toEqual({ value: "createZone", params: {} });
    expect(table().find("GET", "/zones/zn_1/rrsets/www/A")).toEqual({
      value: "getRRset",
      params: { id: "zn_1", name: "www", type: "A" },
    });
    expect(table().find("GET", "/health/ready")?.value).toBe("healthReady");
  });

  it("finds nothing for an unknown path, another method or a different number of segments", () => {
    expect(table().find("DELETE", "/zones")).toBeUndefined();
    expect(table().find("GET", "/zone")).toBeUndefined();
    expect(table().find("GET", "/zones/zn_1/rrsets/www")).toBeUndefined();
    expect(table().find("GET", "/zones/zn_1/rrsets/www/A/extra")).toBeUndefined();
    expect(table().find("GET", "/")).toBeUndefined();
    // An empty segment is no parameter value.
    expect(table().find("GET", "/zones//rrsets/www/A")).toBeUndefined();
  });

  it("ignores one trailing slash and the case of literal segments, and answers HEAD with GET routes", () => {
    expect(table().find("GET", "/zones/")?.value).toBe("listZones");
    expect(table().find("GET", "/Zones/zn_1")).toEqual({ value: "getZone", params: { id: "zn_1" } });
    expect(table().find("HEAD", "/health")?.value).toBe("health");
    // Parameters keep their case.
    expect(table().find("GET", "/zones/ZN_1")?.params).toEqual({ id: "ZN_1" });
  });

  it("percent-decodes parameters, and answers 400 naming the one that is not valid encoding", () => {
    expect(table().find("GET", "/zones/zn_1/rrsets/%2A.example/TXT")?.params).toEqual({
      id: "zn_1",
      name: "*.example",
      type: "TXT",
    });
    let thrown: unknown;
    try {
      table().find("GET", "/zones/zn_1/rrsets/%E0%A4%A/TXT");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details.errors).toEqual([
      { path: "name", message: "is not valid percent-encoding" },
    ]);
  });

  it("prefers the route added first when two patterns match", () => {
    const routes = new RouteTable<string>();
    routes.add("post", "/zones/:id/publish", "publish");
    routes.add("post", "/zones/:id/:action", "other");
    expect(routes.find("POST", "/zones/zn_1/publish")?.value).toBe("publish");
    expect(routes.find("POST", "/zones/zn_1/rollback")?.value).toBe("other");
  });
});
