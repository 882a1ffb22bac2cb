// A backend written for an ALB with authenticate-cognito, unchanged: it verifies x-amzn-oidc-data with aws-jwt-verify's
// AlbJwtVerifier. The only Portal-specific line is jwksUri (ALB's keys live at https://public-keys.auth.elb.{region}.amazonaws.com;
// Portal serves them at {PublicBaseUrl}/gateway/alb-keys) and a fetcher that also speaks http for local test runs.
// Usage: node alb-backend.mjs <port> <albArn> <issuer> <clientId> <jwksUri>
import http from "node:http";
import { AlbJwtVerifier } from "aws-jwt-verify";
import { AlbJwksCache } from "aws-jwt-verify/alb-cache";

const [port, albArn, issuer, clientId, jwksUri] = process.argv.slice(2);
const fetcher = { fetch: async (uri) => { const r = await fetch(uri); if (r.status !== 200) throw new Error(`${uri}: ${r.status}`); return r.arrayBuffer(); } };
const verifier = AlbJwtVerifier.create({ albArn, issuer, clientId, jwksUri }, { jwksCache: new AlbJwksCache({ fetcher }) });

http.createServer(async (req, res) => {
  const data = req.headers["x-amzn-oidc-data"];
  const answer = { path: req.url, identity: req.headers["x-amzn-oidc-identity"] ?? null, hasAccessToken: !!req.headers["x-amzn-oidc-accesstoken"] };
  if (data) {
    try { answer.verified = true; answer.claims = await verifier.verify(data); }
    catch (e) { answer.verified = false; answer.error = `${e.name}: ${e.message}`; }
  } else answer.verified = false;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(answer));
}).listen(Number(port), "127.0.0.1", () => console.log("listening"));
