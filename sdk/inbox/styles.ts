// The widget's styles, adopted by its shadow root as a constructed stylesheet: page CSS cannot
// reach in, and a strict style-src CSP allows it (no <style> element, no style attributes).
// Theme it from the page through these custom properties (they inherit into the shadow root):
//   --herald-accent   links, switches, the focus ring     (default #2563eb)
//   --herald-bg       panel background                    (#fff)
//   --herald-fg       panel text                          (#111827)
//   --herald-muted    secondary text                      (#6b7280)
//   --herald-border   lines between items                 (#e5e7eb)
//   --herald-badge    unread badge and dots               (#dc2626)
//   --herald-radius   panel corners                       (12px)
//   --herald-font     font family                         (system-ui, sans-serif)
// The bell itself takes the page's text colour (currentColor), so it suits light and dark headers.
export const CSS = `
:host{all:initial;display:inline-block;position:relative;color:inherit;font-family:var(--herald-font,system-ui,-apple-system,"Segoe UI",sans-serif);--a:var(--herald-accent,#2563eb);--bg:var(--herald-bg,#fff);--fg:var(--herald-fg,#111827);--mu:var(--herald-muted,#6b7280);--bd:var(--herald-border,#e5e7eb);--r:var(--herald-radius,12px)}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,input{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.bell{position:relative;display:grid;place-items:center;width:40px;height:40px;padding:0;border:0;border-radius:50%;background:none;color:inherit}
.bell:hover{background:#8882}
.bell svg{width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.badge{position:absolute;top:2px;right:0;min-width:18px;height:18px;padding:0 5px;border-radius:9px;background:var(--herald-badge,#dc2626);color:#fff;font-size:11px;font-weight:700;line-height:18px;text-align:center;box-shadow:0 0 0 2px var(--bg)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.panel{position:fixed;z-index:2147483646;display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:var(--r);box-shadow:0 12px 32px #0003,0 0 0 1px #0000000f;font-size:14px;line-height:1.4;overflow:hidden;text-align:left}
.head{display:flex;align-items:center;gap:8px;padding:10px 12px 0;border-bottom:1px solid var(--bd)}
.tabs{display:flex;gap:4px;flex:1}
.tab{padding:8px 10px;border:0;border-bottom:2px solid transparent;background:none;color:var(--mu);font-weight:600}
.tab[aria-selected=true]{color:var(--fg);border-color:var(--a)}
.link{padding:6px 4px;border:0;background:none;color:var(--a);font-weight:600;font-size:13px}
.link:disabled{color:var(--mu);cursor:default}
.body{overflow-y:auto;overscroll-behavior:contain;flex:1}
.note,.error,.empty{margin:0;padding:12px 14px;font-size:13px}
.note{color:var(--mu);border-bottom:1px solid var(--bd)}
.error{background:#fef2f2;color:#991b1b;border-bottom:1px solid #fecaca}
.empty{padding:40px 20px;text-align:center;color:var(--mu)}
ul{list-style:none;margin:0;padding:0}
li{display:flex;align-items:flex-start;border-bottom:1px solid var(--bd)}
.open{flex:1;min-width:0;display:flex;gap:10px;padding:12px 4px 12px 14px;border:0;background:none;text-align:left;text-decoration:none;color:inherit}
.open:hover,.arch:hover{background:#8881}
.dot{flex:none;width:8px;height:8px;margin-top:6px;border-radius:50%}
.unread .dot{background:var(--herald-badge,#dc2626)}
.text{min-width:0;display:grid;gap:2px}
.title{font-weight:600;overflow-wrap:anywhere}
.read .title{font-weight:500}
.msg{color:var(--mu);overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
time{color:var(--mu);font-size:12px}
.arch{flex:none;display:grid;place-items:center;width:36px;height:36px;margin:8px 8px 0 0;border:0;border-radius:8px;background:none;color:var(--mu)}
.arch svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.more{display:block;width:calc(100% - 28px);margin:12px 14px;padding:8px;border:1px solid var(--bd);border-radius:8px;background:none;font-weight:600}
form{padding:8px 14px 6px}
fieldset{border:0;margin:0;padding:10px 0;border-bottom:1px solid var(--bd)}
fieldset:last-of-type{border:0}
legend{padding:0;margin-bottom:4px;font-weight:700}
.row{display:flex;align-items:center;gap:10px;padding:6px 0}
.row span{flex:1}
small{display:block;color:var(--mu);font-size:12px}
input[type=checkbox]{appearance:none;flex:none;position:relative;width:36px;height:20px;margin:0;border-radius:10px;background:#9ca3af;cursor:pointer;transition:background .15s}
input[type=checkbox]::after{content:"";position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff;transition:transform .15s}
input[type=checkbox]:checked{background:var(--a)}
input[type=checkbox]:checked::after{transform:translateX(16px)}
input:disabled{opacity:.5;cursor:not-allowed}
.times{display:flex;gap:12px;flex-wrap:wrap}
.times label{display:grid;gap:2px;font-size:12px;color:var(--mu)}
input[type=time]{padding:5px 8px;border:1px solid var(--bd);border-radius:8px;background:var(--bg);color:var(--fg)}
.status{margin:8px 0 0;font-size:13px;color:var(--mu);min-height:1.4em}
@media (prefers-reduced-motion:reduce){input[type=checkbox],input[type=checkbox]::after{transition:none}}
`;
