// PostGraphile 4.14.1 over the bench database, for bench/vs_postgraphile.py.
// Connects as the owner (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and gives every request
// the application's row-level security through pgSettings: SET LOCAL role mutual_app and
// mutual.user_id from the x-user-id header, in the request's transaction.
// Usage: node server.js PORT POOL_SIZE
"use strict";
const http = require("http");
const { Pool } = require("pg");
const { postgraphile } = require("postgraphile");

const [port, poolSize] = process.argv.slice(2).map(Number);
const pool = new Pool({ max: poolSize });
const handler = postgraphile(pool, "public", {
  pgSettings: (req) => {
    const settings = { role: "mutual_app" };
    const userId = req.headers["x-user-id"];
    if (userId) settings["mutual.user_id"] = String(userId);
    return settings;
  },
  disableQueryLog: true,
  graphiql: false,
  retryOnInitFail: false,
  legacyRelations: "omit",
  setofFunctionsContainNulls: false,
});
http.createServer(handler).listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
