#!/usr/bin/env node
// A committed launcher, so `pnpm install` can link the bin before the first build (dist/ does not
// exist yet in a fresh clone); the provider itself is the built dist/main.js.
import "../dist/main.js";
