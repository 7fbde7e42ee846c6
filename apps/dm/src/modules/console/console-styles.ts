/** The console's whole stylesheet: small, responsive from tablet (768 px) to laptop widths. */
export const CONSOLE_CSS = `
:root { --fg: #111827; --muted: #4b5563; --line: #d1d5db; --accent: #1d4ed8; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: #f9fafb; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem 1.5rem;
  padding: .6rem 1.2rem; background: #1f2937; color: #fff; }
header a { color: #fff; text-decoration: none; }
header a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; }
header nav { display: flex; flex-wrap: wrap; gap: 1rem; flex: 1; }
header form { margin: 0; }
main { padding: 1rem 1.2rem; max-width: 1400px; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
.table-wrap { overflow-x: auto; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: .85rem; }
.thumbprint { word-break: break-all; }
pre.log { background: #111827; color: #f9fafb; padding: .6rem; overflow-x: auto; max-height: 24rem;
  white-space: pre-wrap; }
button, .button { font: inherit; padding: .3rem .7rem; border: 1px solid var(--accent); border-radius: 4px;
  background: #fff; color: var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary { background: var(--accent); color: #fff; }
button.danger { border-color: var(--bad); color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .3rem; }
.actions form { margin: 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
.error { color: var(--bad); }
ul.diagnostics { color: var(--bad); padding-left: 1.2rem; }
.state { display: inline-block; padding: 0 .45rem; border-radius: 3px; border: 1px solid #6b7280; }
.tree svg { width: 100%; height: auto; max-height: 70vh; background: #fff; border: 1px solid var(--line); }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; }
label { display: block; margin: .4rem 0 .2rem; font-weight: 600; }
input[type=text], input[type=password], input[type=file] { font: inherit; width: 100%; max-width: 28rem; padding: .35rem; }
.login { max-width: 24rem; margin: 4rem auto; }
@media (max-width: 1024px) {
  .split { grid-template-columns: minmax(0, 1fr); }
  main { padding: .8rem; }
}
`;
