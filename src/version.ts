// The version printed by --version. Kept in the source (not read from package.json at run time) so a
// bundled or single-executable build knows it; test/unit/version.test.ts keeps it equal to package.json.
export const VERSION = '0.1.0';
