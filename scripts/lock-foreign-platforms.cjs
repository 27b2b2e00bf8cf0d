// The npm registry reachable here lacks the other platforms' optional binaries
// (darwin, win32, …), so `npm install` leaves them out of the lock file and
// `npm ci` then refuses it. This records them as optional entries for their own
// os/cpu, which npm ci skips on this platform. Run after `npm install`.
const fs = require('fs');
const { execSync } = require('child_process');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
let out = '';
try {
  execSync('npm ci --dry-run', { stdio: 'pipe' });
} catch (e) {
  out = String(e.stderr);
}
const missing = [...new Set([...out.matchAll(/Missing: (.+?)@ from lock file/g)].map((m) => m[1]))];
const osOf = (n) =>
  ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'openbsd', 'netbsd', 'aix'].find((o) =>
    n.includes(o),
  );
const cpuOf = (n) =>
  ['arm64', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'arm'].find((c) => n.includes(c));
for (const name of missing) {
  const parent = Object.entries(lock.packages).find(([, p]) => p.optionalDependencies && p.optionalDependencies[name]);
  const version = parent[1].optionalDependencies[name];
  const entry = { version, optional: true };
  if (parent[1].dev) entry.dev = true;
  const os = osOf(name),
    cpu = cpuOf(name);
  if (name.includes('wasm32')) {
    entry.cpu = ['wasm32'];
  } else {
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
  }
  lock.packages[`node_modules/${name}`] = entry;
  console.log(name, JSON.stringify(entry));
}
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
