// Parses every .tf file under a directory with @cdktf/hcl2json and prints one JSON object,
// {"<path relative to the directory>": <the file as JSON>, ...}. Exits 1 naming the file, line
// and column of the first syntax error. Used by ./test and TerraformSecurityTest.
//   NODE_PATH=.tools/node_modules node infra/terraform/hcl2json.cjs terraform
"use strict";
const fs = require("fs");
const path = require("path");

let hcl2json;
try {
  hcl2json = require("@cdktf/hcl2json");
} catch (e) {
  console.error("hcl2json: the npm package @cdktf/hcl2json is not installed. Install it with\n" +
    "  npm install --prefix .tools @cdktf/hcl2json\nand run with NODE_PATH=.tools/node_modules (./test does both).");
  process.exit(2);
}

function tfFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === ".terraform") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tfFiles(p));
    else if (e.name.endsWith(".tf")) out.push(p);
  }
  return out.sort();
}

(async () => {
  const root = process.argv[2] || "terraform";
  const result = {};
  for (const file of tfFiles(root)) {
    const rel = path.relative(root, file);
    try {
      result[rel] = await hcl2json.parse(rel, fs.readFileSync(file, "utf8"));
    } catch (e) {
      console.error(`hcl2json: ${rel}: ${e.message || e}`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
})();
