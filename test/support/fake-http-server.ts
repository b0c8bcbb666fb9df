/**
 * A real HTTP server on 127.0.0.1 for testing a client of a partner's API (src/platform/integrations): each test
 * scripts the answers it needs and reads back what was sent. Fakes of particular partners (GOV.UK Notify, a prison
 * clinical system) are built on it: a function that starts one and scripts its usual routes.
 *
 *   const partner = await startFakeHttpServer(t)
 *   partner.route('GET', '/prisoners/:prisonerNumber', [{ status: 503 }, { status: 200, body: { ... } }])
 *   ... createHttpClient({ baseUrl: partner.url, ... }) ...
 *   assert.equal(partner.requests.length, 2)
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One scripted answer. */
export type FakeResponse =
  | {
      readonly status: number
      /** Sent as JSON, unless `text` is given. */
      readonly body?: unknown
      /** Sent as it is (for a malformed or non-JSON body). */
      readonly text?: string
      readonly headers?: Readonly<Record<string, string | string[]>>
      /** Waits this long before answering (real time: keep it short, and prefer `hang` for timeouts). */
      readonly delayMs?: number
    }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { readonly hang: true }
  /**
   * Closes the connection without a full answer: 'before-response' once the request has arrived (a lost answer),
   * 'mid-body' after sending the status, headers and part of the body.
   */
  | { readonly drop: 'before-response' | 'mid-body'; readonly status?: number; readonly delayMs?: number }

export interface RecordedRequest {
  readonly method: string
  /** The path without the query. */
  readonly path: string
  readonly query: URLSearchParams
  /** Values of the route's `:name` segments. */
  readonly params: Readonly<Record<string, string>>
  /** Lower-cased names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders
  /** The body parsed as JSON when it is JSON, else undefined; `text` has it as sent. */
  readonly body: unknown
  readonly text: string
}

/**
 * How a route answers: one response for every call, a list answered in turn (a call past its end gets the
 * unmatched answer, so an extra call shows), or a function of the request.
 */
export type FakeRoute =
  FakeResponse | readonly FakeResponse[] | ((request: RecordedRequest) => FakeResponse | Promise<FakeResponse>)

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`, with no trailing slash. */
  readonly url: string
  /** Every request received, in order, answered or not. */
  readonly requests: readonly RecordedRequest[]
  /** Requests no route (or an exhausted list) answered; they got a 404. */
  readonly unmatched: readonly RecordedRequest[]
  /**
   * Scripts `method path`; `path` may have `:name` segments. Scripting the same method and path again replaces
   * the route (and restarts its list).
   */
  route(method: string, path: string, answer: FakeRoute): void
  /** The requests to one route, by the same method and path it was scripted with. */
  requestsTo(method: string, path: string): readonly RecordedRequest[]
  /** Stops listening and cuts every open connection, hanging ones included. Safe to call twice. */
  close(): Promise<void>
}

interface Route {
  readonly method: string
  readonly path: string
  readonly pattern: RegExp
  readonly names: readonly string[]
  readonly answer: FakeRoute
  calls: number
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = []
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1))
        return '([^/]+)'
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { pattern: new RegExp(`^${source}$`), names }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    request.on('error', reject)
  })
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text === '' || !(contentType ?? '').includes('json')) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Starts a fake on a free port; with a test context it closes when the test ends. */
export async function startFakeHttpServer(t?: { after(fn: () => Promise<void>): void }): Promise<FakeHttpServer> {
  const routes: Route[] = []
  const requests: RecordedRequest[] = []
  const unmatched: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let closing: Promise<void> | undefined

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  function find(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of routes) {
      if (route.method !== method) continue
      const match = route.pattern.exec(path)
      if (match === null) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '')
      })
      return { route, params }
    }
    return undefined
  }

  async function answerFor(route: Route, recorded: RecordedRequest): Promise<FakeResponse | undefined> {
    const { answer } = route
    route.calls += 1
    if (typeof answer === 'function') return answer(recorded)
    if (Array.isArray(answer)) return (answer as readonly FakeResponse[])[route.calls - 1]
    return answer as FakeResponse
  }

  async function send(response: ServerResponse, answer: FakeResponse): Promise<void> {
    if ('hang' in answer) return
    if (answer.delayMs !== undefined) await pause(answer.delayMs)
    if (response.destroyed) return
    if ('drop' in answer) {
      if (answer.drop === 'before-response') {
        response.socket?.destroy()
        return
      }
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', 'content-length': '1000' })
      // Cut the connection once the partial answer has been handed to the socket, so the client sees it first.
      response.write('{"partial":', () => response.socket?.destroy())
      return
    }
    const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body))
    const headers: OutgoingHttpHeaders = {}
    if (answer.text === undefined && answer.body !== undefined) headers['content-type'] = 'application/json'
    Object.assign(headers, answer.headers)
    response.writeHead(answer.status, headers)
    response.end(text)
  }

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      const method = request.method ?? 'GET'
      const text = await readBody(request)
      const found = find(method, url.pathname)
      const recorded: RecordedRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        params: found?.params ?? {},
        headers: request.headers,
        body: parseJson(text, request.headers['content-type']),
        text,
      }
      requests.push(recorded)
      const answer = found === undefined ? undefined : await answerFor(found.route, recorded)
      if (answer === undefined) {
        unmatched.push(recorded)
        await send(response, {
          status: 404,
          body: { error: `fake server: nothing scripted for ${method} ${url.pathname}` },
        })
        return
      }
      await send(response, answer)
    })().catch((error: unknown) => {
      // A broken script is a test bug: answer 500 so the test fails where the call is made.
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ error: `fake server: ${String(error)}` }))
      }
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  const fake: FakeHttpServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    route(method, path, answer) {
      const upper = method.toUpperCase()
      const existing = routes.findIndex((r) => r.method === upper && r.path === path)
      const route: Route = { method: upper, path, ...compile(path), answer, calls: 0 }
      if (existing === -1) routes.push(route)
      else routes[existing] = route
    },
    requestsTo(method, path) {
      const upper = method.toUpperCase()
      const route = routes.find((r) => r.method === upper && r.path === path)
      if (route === undefined) return []
      return requests.filter((r) => r.method === upper && route.pattern.test(r.path))
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close((error) => {
          if (error === undefined) resolve()
          else reject(error)
        })
        for (const socket of sockets) socket.destroy()
      })
      return closing
    },
  }
  t?.after(() => fake.close())
  return fake
}
