import {randomBytes} from 'node:crypto'

import type {Context, Env, Hono as HonoApp} from 'hono'

import type {EventHub} from './events.js'
import {BEARER_CHALLENGE, bearerOf, problem, send, type ServedCourse} from './http.js'
import {coursePage, pagePolicy, renderCourses, renderNeedToken, renderPage} from './page.js'
import {verifyToken} from './tokens.js'

/** The browser keeps the page's token here: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const PAGE_COOKIE = 'wicker_token'

/**
 * GET / (the live status page) and GET /v1/events (its server-sent events). A token of any served
 * course opens the page, which then shows only the courses that token is good for. `/?token=T`
 * trades T for a cookie and redirects to `/`, so the token leaves the address bar and the history.
 */
export function mountPage<E extends Env>(app: HonoApp<E>, courses: readonly ServedCourse[], events: EventHub): void {
  /** the served courses the request's token (cookie or Bearer) is good for, or why none */
  async function allowed(c: Context, presented: string | undefined): Promise<{ok: ServedCourse[]; reason: string}> {
    if (!presented) return {ok: [], reason: 'This page shows course data: it needs a token.'}
    const ok: ServedCourse[] = []
    let reason = 'That token is not good for any course this server serves.'
    for (const served of courses) {
      const verdict = await verifyToken(served.course.dir, presented, {course: served.course.code})
      if (verdict.ok) ok.push(served)
      else if (verdict.status === 401 && verdict.reason !== 'unknown token') reason = `That token was refused: ${verdict.reason}.`
    }
    return {ok, reason}
  }

  async function presented(c: Context): Promise<string | undefined> {
    const {getCookie} = await import('hono/cookie')
    return bearerOf(c.req.header('authorization')) ?? getCookie(c, PAGE_COOKIE)
  }

  const render = async (ok: ServedCourse[]) => Promise.all(ok.map((s) => coursePage(s.course.dir, s.cwd)))
  const needToken = (c: Context, reason: string) => c.html(renderNeedToken(reason), 401, {'content-security-policy': "default-src 'none'", 'cache-control': 'no-store'})

  app.get('/', async (c) => {
    const fromUrl = c.req.query('token')
    if (fromUrl !== undefined) {
      const {ok, reason} = await allowed(c, fromUrl)
      if (ok.length === 0) return needToken(c, reason)
      const {setCookie} = await import('hono/cookie')
      setCookie(c, PAGE_COOKIE, fromUrl, {httpOnly: true, sameSite: 'Strict', path: '/'})
      return c.redirect('/', 303)
    }
    const {ok, reason} = await allowed(c, await presented(c))
    if (ok.length === 0) return needToken(c, reason)
    const nonce = randomBytes(16).toString('base64')
    return c.html(renderPage(await render(ok), nonce), 200, {'content-security-policy': pagePolicy(nonce), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer'})
  })

  app.get('/v1/events', async (c) => {
    const {ok, reason} = await allowed(c, await presented(c))
    if (ok.length === 0) return send(c, problem(401, 'Token needed', reason), BEARER_CHALLENGE)
    return events.stream(c, ok.map((s) => s.course.code), async () => renderCourses(await render(ok)))
  })

  // browsers ask for it by themselves: an answer, so no 404 in the console
  app.get('/favicon.ico', (c) => c.body(null, 204))
}
