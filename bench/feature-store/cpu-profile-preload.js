// Preloaded through NODE_OPTIONS (which refuses --cpu-prof): profiles the whole process and writes a
// .cpuprofile into CPU_PROFILE_DIR when it is asked to stop, for Chrome DevTools or speedscope.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
let written = false;
function write() {
  if (written) return;
  written = true;
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(join(process.env.CPU_PROFILE_DIR, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
}
process.on('exit', write);
// The service's own SIGTERM handling may end the process without an 'exit' event, so write first.
process.prependListener('SIGTERM', write);
