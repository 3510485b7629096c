// Fails loudly when an npm script runs on a Node other than 24 (the machine's own Node 20 cannot run .ts files).
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(`Tandem needs Node 24 or newer, but this is Node ${process.versions.node}.`);
  console.error("Run it through npm (npm start, npm test, npx tandem): the project's devDependency 'node' provides Node 24.");
  process.exit(1);
}
