import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, trusted } from './html.ts';

describe('html', () => {
  it('escapes every interpolated value, in content and attributes', () => {
    const hostile = `<script>alert("x")</script><img src=x onerror='y'>&\``;
    const out = html`<td title="${hostile}">${hostile}</td>`.text;
    assert.equal(out.includes('<script>'), false);
    assert.equal(out.includes('<img'), false);
    assert.equal(
      out,
      `<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;&#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;&#96;</td>`,
    );
  });

  it('keeps nested Html, joins arrays and drops null, undefined and false', () => {
    const rows = ['a<', 'b'].map((cell) => html`<li>${cell}</li>`);
    assert.equal(
      html`<ul>
        ${rows}${null}${undefined}${false}${0}
      </ul>`.text.replace(/\s+/g, ''),
      '<ul><li>a&lt;</li><li>b</li>0</ul>',
    );
    assert.equal(html`${trusted('<b>')}`.text, '<b>');
    assert.equal(escapeHtml('plain text'), 'plain text');
  });
});
