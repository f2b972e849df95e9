import React, { useEffect, useState } from 'react';
import { Box, Button, H2, H5, Input, Loader, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const api = new ApiClient();
const PAGE = 'aiInsights';
const SUGGESTED = [
  'Which product sold the most this month?',
  'What should I reorder?',
  'What is low on stock?',
  'How much revenue did we make last month?',
  'What is our stock worth?',
];
const FALLBACK = { timeout: 'OpenAI timed out', provider_error: 'OpenAI was unavailable', unverified_figures: 'OpenAI gave figures the data does not contain' };
/** Figures that are amounts of money (by their key's last part), shown in the business currency. */
const MONEY = /^(revenue|cost|spend|atCost|atPrice|margin|stockValueAtCost|deadStockValue|price|costPrice)$/;

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const humanize = (key) => key.replace(/[._]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
const show = (v, key, money) => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number' && MONEY.test(String(key).split('.').pop())) return money.format(v);
  return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v);
};
const moneyFormat = (currency) => {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' });
  } catch {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  }
};

/** Nested objects become dotted keys; nested lists and internal ids are left out of a row. */
function flatten(value, prefix = '', out = {}) {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isPlain(v)) flatten(v, name, out);
    else if (!Array.isArray(v) && !/(^id|Id)$/.test(key)) out[name] = v;
  }
  return out;
}

/** The first list in the tool results, breadth first (e.g. the top products). */
function firstArray(value) {
  const queue = [value];
  while (queue.length) {
    const next = queue.shift();
    for (const v of Object.values(next)) {
      if (Array.isArray(v) && v.length) return v;
      if (isPlain(v)) queue.push(v);
    }
  }
  return null;
}

/** The figures an answer used: the first list as rows, else every figure as a key/value pair. */
function figures(data) {
  const list = data ? firstArray(data) : null;
  if (list) {
    const rows = list.map((item) => (isPlain(item) ? flatten(item) : { value: item }));
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return { columns, rows };
  }
  const pairs = Object.entries(flatten(data ?? {}));
  return { columns: ['figure', 'value'], rows: pairs.map(([figure, value]) => ({ figure: humanize(figure), value, key: figure })) };
}

const Figures = ({ data, currency }) => {
  const { columns, rows } = figures(data);
  const money = moneyFormat(currency);
  if (!rows.length) return null;
  return (
    <Box mt="lg" style={{ overflowX: 'auto' }} data-testid="ai-figures">
      <Table>
        <TableHead>
          <TableRow>{columns.map((c) => <TableCell key={c}>{humanize(c)}</TableCell>)}</TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, i) => (
            <TableRow key={i} data-testid="ai-figure-row">
              {columns.map((c) => <TableCell key={c}>{show(row[c], c === 'value' ? row.key : c, money)}</TableCell>)}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

const Source = ({ answer }) => (
  <Text color="grey60" fontSize="sm" mt="md" data-testid="ai-source">
    {answer.source === 'openai' ? 'Answered by OpenAI' : 'Answered by the built-in analyst'}
    {answer.fallbackReason ? ` (${FALLBACK[answer.fallbackReason] ?? answer.fallbackReason}; fell back to the built-in analyst)` : ''}
  </Text>
);

/** Follow-up questions the answer suggests; clicking one asks it. */
const FollowUps = ({ answer, onAsk, busy, testId }) =>
  answer.suggestions?.length ? (
    <Box flex flexWrap="wrap" alignItems="center" mt="md" data-testid={`${testId}-followups`}>
      <Text fontSize="sm" color="grey60" mr="sm" mb="sm">Ask next:</Text>
      {answer.suggestions.map((s) => (
        <Button key={s} type="button" size="sm" variant="text" mr="sm" mb="sm" disabled={busy} onClick={() => onAsk(s)} data-testid="ai-followup">{s}</Button>
      ))}
    </Box>
  ) : null;

const Answer = ({ answer, testId, onAsk, busy }) => (
  <Box data-testid={testId}>
    <Text style={{ whiteSpace: 'pre-wrap', lineHeight: 1.5 }} data-testid={`${testId}-text`}>{answer.response}</Text>
    <Source answer={answer} />
    <FollowUps answer={answer} onAsk={onAsk} busy={busy} testId={testId} />
  </Box>
);

const AiInsights = () => {
  const [summary, setSummary] = useState(null);
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [allowed, setAllowed] = useState(true);
  const [currency, setCurrency] = useState('USD');

  useEffect(() => {
    api
      .getPage({ pageName: PAGE })
      .then(({ data }) => {
        if (!data.allowed) setAllowed(false);
        else if (data.error) setError(data.error);
        else setSummary(data.answer);
        if (data.currency) setCurrency(data.currency);
      })
      .catch(() => setError('The summary could not be loaded.'));
  }, []);

  const ask = async (text) => {
    const trimmed = text.trim();
    setQuestion(text);
    if (!trimmed || trimmed.length > 500) {
      setError(trimmed ? 'At most 500 characters' : 'Ask a question');
      return;
    }
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.set('question', trimmed);
    try {
      const { data } = await api.getPage({ pageName: PAGE, method: 'post', data: form });
      if (data.error) setError(data.error);
      else setAnswer(data.answer);
      if (data.currency) setCurrency(data.currency);
    } catch {
      setError('The question could not be answered, please try again.');
    } finally {
      setBusy(false);
    }
  };

  if (!allowed) return <Box p="xl"><MessageBox variant="danger" message="You do not have access to AI insights." /></Box>;

  return (
    <Box p="xl" data-testid="ai-insights">
      <H2 mb="xl">AI insights</H2>
      <Box flex flexWrap="wrap" alignItems="flex-start">
        <Box variant="card" p="lg" mr="lg" mb="lg" style={{ flex: '2 1 520px' }}>
          <H5 mb="lg">Ask about sales, stock, suppliers or purchases</H5>
          <form data-testid="ai-ask-form" onSubmit={(e) => { e.preventDefault(); ask(question); }}>
            <Box flex>
              <Input id="question" name="question" value={question} maxLength={500} placeholder="e.g. Which product sold the most this month?" onChange={(e) => setQuestion(e.target.value)} style={{ flex: 1 }} />
              <Button variant="contained" ml="md" type="submit" disabled={busy}>{busy ? 'Thinking…' : 'Ask'}</Button>
            </Box>
          </form>
          <Box flex flexWrap="wrap" mt="md">
            {SUGGESTED.map((s) => (
              <Button key={s} type="button" size="sm" variant="outlined" mr="sm" mb="sm" disabled={busy} onClick={() => ask(s)} data-testid="suggested-question">{s}</Button>
            ))}
          </Box>
          {error ? <Box mt="md"><MessageBox variant="danger" message={error} data-testid="ai-error" /></Box> : null}
          {busy ? <Loader /> : null}
          {answer && !busy ? (
            <Box mt="lg">
              <Answer answer={answer} testId="ai-answer" onAsk={ask} busy={busy} />
              <Figures data={answer.data} currency={currency} />
            </Box>
          ) : null}
        </Box>
        <Box variant="card" p="lg" mb="lg" style={{ flex: '1 1 340px' }}>
          <H5 mb="lg">Business summary</H5>
          {summary ? <Answer answer={summary} testId="ai-summary" onAsk={ask} busy={busy} /> : error ? null : <Loader />}
        </Box>
      </Box>
    </Box>
  );
};

export default AiInsights;
