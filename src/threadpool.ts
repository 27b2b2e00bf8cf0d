// Imported first by main.ts, before anything can use libuv's thread pool:
// the pool reads UV_THREADPOOL_SIZE once, when it is first used, and never
// again. Password hashing (argon2) and file reads (media downloads) share it;
// Node's default of 4 threads is too few to keep some for files while
// hashes run. An explicit UV_THREADPOOL_SIZE in the environment wins (one in
// .env comes too late: .env is read after this).
const DEFAULT_THREADPOOL_SIZE = 8;

process.env.UV_THREADPOOL_SIZE ||= String(DEFAULT_THREADPOOL_SIZE);
