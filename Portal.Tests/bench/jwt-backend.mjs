// The backend of the JWT route benchmark (started by jwt.sh): answers every request 200 with a small JSON body naming
// the caller's subject when the gateway passed one. Usage: node jwt-backend.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2]);
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = JSON.stringify({ ok: true, sub: req.headers['x-amzn-jwt-claim-sub'] ?? null });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
