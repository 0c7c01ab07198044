// Closed-loop HTTP load for bench/vs_postgraphile.py: CONNECTIONS keep-alive connections, each
// posting BODY to URL again as soon as its answer arrives, for SECONDS. Prints one JSON line:
// {"requests": answers with status 200 and no "errors", "failed": others, "seconds": elapsed,
//  "first_failure": the first failed answer, if any}.
// Usage: node load.js URL SECONDS CONNECTIONS BODY_JSON HEADERS_JSON
"use strict";
const http = require("http");

const [url, seconds, connections, body, headersJson] = process.argv.slice(2);
const target = new URL(url);
const payload = Buffer.from(body);
const headers = {
  ...JSON.parse(headersJson),
  "content-type": "application/json",
  "content-length": payload.length,
};
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(Number(seconds) * 1e9));
let requests = 0;
let failed = 0;
let firstFailure = null;

function fail(text) {
  failed += 1;
  if (firstFailure === null) firstFailure = text.slice(0, 500);
}

function loop(done) {
  if (process.hrtime.bigint() >= deadline) return done();
  const request = http.request(
    { host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers, agent },
    (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (response.statusCode === 200 && !text.includes('"errors"')) requests += 1;
        else fail(`${response.statusCode} ${text}`);
        loop(done);
      });
    },
  );
  request.on("error", (error) => {
    fail(String(error));
    loop(done);
  });
  request.end(payload);
}

let running = Number(connections);
for (let i = 0; i < Number(connections); i += 1) {
  loop(() => {
    running -= 1;
    if (running === 0) {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(JSON.stringify({ requests, failed, seconds: elapsed, first_failure: firstFailure }));
      agent.destroy();
    }
  });
}
