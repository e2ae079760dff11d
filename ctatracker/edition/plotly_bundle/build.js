// Builds ../assets/plotly.min.js: plotly.js with only the chart types the public edition draws (scatter comes with
// the core). Run by `make plotly-bundle`; a chart type added to the edition is added to TRACES here, and
// tests/pipelines/test_site.py fails until it is.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const TRACES = ['scatter', 'bar', 'heatmap', 'choropleth'];
const version = require('plotly.js/package.json').version;
const entry = "var Plotly = require('plotly.js/lib/core');\n" +
    'Plotly.register([' + TRACES.filter((t) => t !== 'scatter').map((t) => `require('plotly.js/lib/${t}')`).join(', ') +
    ']);\nmodule.exports = Plotly;\n';
const banner = `/*! plotly.js v${version}, partial bundle: ${TRACES.join(', ')}\n` +
    '* Copyright 2012-2026, Plotly, Inc. Licensed under the MIT license (plotly.LICENSE.txt) */';

const outfile = path.join(__dirname, '..', 'assets', 'plotly.min.js');

esbuild.build({
    stdin: { contents: entry, resolveDir: __dirname, sourcefile: 'entry.js' },
    outfile, write: false,
    format: 'iife', globalName: 'Plotly', bundle: true, minify: true, legalComments: 'none', banner: { js: banner },
    plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
    define: { global: 'window', 'define.amd': 'false' }, target: 'es2016', logLevel: 'info',
}).then((result) => {
    // The inline-CSS plugin names plotly.js's style element by a hash of the CSS file's absolute path: named
    // here by a fixed name instead, so that the bundle is the same wherever it is built.
    const text = result.outputFiles[0].text.replace(/(getElementById\(|\.id=)"[0-9a-f]{64}"/g, '$1"plotly-js-style"');
    fs.writeFileSync(outfile, text);
}).catch(() => process.exit(1));
