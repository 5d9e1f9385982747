/**
 * Which of the board's components rendered, for the tests and bench:cards: a page whose script set
 * `window.__liveboardRenders` to an array gets `"card:<taskId>"`, `"list:<listId>"`, `"dnd"`…
 * pushed onto it by each render. Anywhere else it costs one property read. A production build has no React
 * Profiler, and "a remote change renders that card only" (issue 15) is about renders, so the board
 * counts its own.
 */
export type RenderedComponent = 'board' | 'dnd' | 'lists' | 'list' | 'card';

interface ProbeGlobal {
  __liveboardRenders?: string[];
}

export function noteRender(component: RenderedComponent, id = ''): void {
  (globalThis as ProbeGlobal).__liveboardRenders?.push(id ? `${component}:${id}` : component);
}
