// Load as browsers make it: customers logged in with their ad socket open,
// page views offered at a fixed rate, and what it costs each process. The
// benchmark and the fault tests drive the stack with it.
export * from './customers';
export * from './load';
export * from './cpu';
export * from './stats';
