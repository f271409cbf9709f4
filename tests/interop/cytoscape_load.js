// Loads a linkchart Cytoscape.js export into the cytoscape npm package,
// headless with styles on, and prints what it holds as JSON: counts, every
// node's label, the shape and colour the styles gave each node, every edge's
// status and line style.
// usage: node cytoscape_load.js FILE
const fs = require("fs");
const cytoscape = require("cytoscape");

const doc = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true, styleEnabled: true, elements: doc.elements, style: doc.style });
const out = { nodes: cy.nodes().length, edges: cy.edges().length, labels: {}, shapes: {}, colors: {}, statuses: {}, lines: {} };
cy.nodes().forEach((n) => {
  out.labels[n.id()] = n.data("label");
  out.shapes[n.id()] = n.style("shape");
  out.colors[n.id()] = n.style("background-color");
});
cy.edges().forEach((e) => {
  out.statuses[e.id()] = e.data("status");
  out.lines[e.id()] = e.style("line-style");
});
cy.destroy();
// Cytoscape's render loop keeps a timer alive even when headless: leave once
// the answer is written.
process.stdout.write(JSON.stringify(out) + "\n", () => process.exit(0));
