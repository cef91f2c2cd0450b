// Generated from package.json by scripts/gen-version.mjs at build time; do not edit.
export const VERSION = "0.1.0";
