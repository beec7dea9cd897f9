// Pictures drawn from plain data: Mermaid graphs, gantt charts, terminal timelines. Imports errors only.

export { renderGantt } from './render-gantt';
export { renderMermaid } from './render-mermaid';
export { renderTimeline } from './render-timeline';
