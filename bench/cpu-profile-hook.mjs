// Preloaded into the API under benchmark (`BENCH_API_NODE_OPTIONS="--import ./bench/cpu-profile-hook.mjs"`
// with BENCH_CPU_PROF_DIR set): Node 20 refuses `--cpu-prof` in NODE_OPTIONS, so this starts the
// same V8 sampling profiler through node:inspector and writes `<pid>.cpuprofile` when the process
// exits. Read it with bench/summarise-cpu-profile.ts.
// With BENCH_CPU_PROF_PEAK=1 it profiles only between two SIGUSR2s, which bench:api sends around
// its peak phase, so start-up, the paced run and the ceilings do not dilute the profile.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  let profiling = false;
  let written = false;
  const start = () => {
    session.post("Profiler.start");
    profiling = true;
  };
  const stop = () => {
    if (!profiling || written) return;
    written = true;
    // An in-process session answers synchronously, so this completes inside an exit handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  if (process.env.BENCH_CPU_PROF_PEAK === "1") {
    process.on("SIGUSR2", () => (profiling ? stop() : start()));
  } else {
    start();
  }
  process.on("exit", stop);
}
