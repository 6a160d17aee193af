/** A logger that says nothing (pino's shape). */
export const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
