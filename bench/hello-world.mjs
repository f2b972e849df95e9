// The framework ceiling: Express answering a tiny JSON document, started by `npm run bench`.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => res.json({ hello: 'world' }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
