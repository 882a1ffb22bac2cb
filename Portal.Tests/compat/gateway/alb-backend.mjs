// A backend written for an ALB with authenticate-cognito, unchanged: it verifies x-amzn-oidc-data with aws-jwt-verify's
// AlbJwtVerifier, which fetches the PEM public key of the token's kid from {jwksUri}/{kid}. The only Portal-specific line is
// jwksUri (ALB's keys live at https://public-keys.auth.elb.{region}.amazonaws.com; Portal serves them at
// {PublicBaseUrl}/gateway/alb-keys) and a fetcher that also speaks http for local test runs.
// Usage: node alb-backend.mjs <port> <albArn> <issuer> <clientId> <jwksUri> [<logoutUrl>]
//   GET  {prefix}/logout  signs out as ALB's documentation tells applications to: the session cookies expired, then a
//                         redirect to the pool's logout endpoint (<logoutUrl>).
//   anything else         who called: an HTML page (for browsers) or JSON with the verified claims, the raw
//                         x-amzn-oidc-data and the names of the cookies that reached the backend.
import http from "node:http";
import { AlbJwtVerifier } from "aws-jwt-verify";
import { AlbJwksCache } from "aws-jwt-verify/alb-cache";

const [port, albArn, issuer, clientId, jwksUri, logoutUrl] = process.argv.slice(2);
const fetcher = { fetch: async (uri) => { const r = await fetch(uri); if (r.status !== 200) throw new Error(`${uri}: ${r.status}`); return r.arrayBuffer(); } };
const verifier = AlbJwtVerifier.create({ albArn, issuer, clientId, jwksUri }, { jwksCache: new AlbJwksCache({ fetcher }) });
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

http.createServer(async (req, res) => {
  const path = new URL(req.url, "http://backend").pathname;
  const prefix = "/" + (path.split("/")[1] ?? "");
  if (path === `${prefix}/logout` && logoutUrl) {
    const expired = [0, 1, 2, 3].map((i) => `AWSELBAuthSessionCookie-${i}=; Path=${prefix}; Max-Age=-1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly`);
    res.writeHead(302, { location: logoutUrl, "set-cookie": expired });
    res.end();
    return;
  }
  const data = req.headers["x-amzn-oidc-data"];
  const accessToken = req.headers["x-amzn-oidc-accesstoken"];
  const answer = {
    path: req.url,
    identity: req.headers["x-amzn-oidc-identity"] ?? null,
    hasAccessToken: !!accessToken,
    accessTokenJti: accessToken ? JSON.parse(Buffer.from(accessToken.split(".")[1], "base64url").toString()).jti : null,
    data: data ?? null,
    cookies: (req.headers.cookie ?? "").split(";").map((c) => c.trim().split("=")[0]).filter((c) => c),
  };
  if (data) {
    try { answer.verified = true; answer.claims = await verifier.verify(data); }
    catch (e) { answer.verified = false; answer.error = `${e.name}: ${e.message}`; }
  } else answer.verified = false;
  if ((req.headers.accept ?? "").includes("text/html")) {
    const who = answer.verified ? `Signed in as ${escape(answer.claims.email ?? answer.claims.username ?? answer.claims.sub)}` : "Not signed in";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Notes behind ALB</title></head><body><main><h1>${who}</h1>`
      + `<pre id="answer">${escape(JSON.stringify(answer, null, 2))}</pre></main></body></html>`);
    return;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(answer));
}).listen(Number(port), "127.0.0.1", () => console.log("listening"));
