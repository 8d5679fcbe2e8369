#!/usr/bin/env node
// The installed `dnscove` command. It is committed rather than built so that installing the
// package (pnpm install in the workspace, npm install -g) can link it before dist/ exists.
import "../dist/main.js";
