// Validates a Teams app manifest offline against the official JSON schema bundled in
// @microsoft/app-manifest (pinned in package.json). Prints one JSON object:
// {"schema": "1.30", "errors": [...]}. Exit code 0 when valid, 1 when not, 2 when unreadable.
// Usage: node tools/validate_manifest.js path/to/manifest.json
const { AppManifestUtils } = require("@microsoft/app-manifest");

async function main() {
  const path = process.argv[2];
  try {
    const [manifest, errors] = await AppManifestUtils.readAndValidateTeamsManifest(path);
    console.log(JSON.stringify({ schema: manifest.manifestVersion, errors }));
    process.exit(errors.length === 0 ? 0 : 1);
  } catch (error) {
    console.log(JSON.stringify({ schema: null, errors: [String(error && error.message ? error.message : error)] }));
    process.exit(2);
  }
}

main();
