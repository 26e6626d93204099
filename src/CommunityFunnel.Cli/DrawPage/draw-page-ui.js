/*
 * The draw page: reads the embedded proof, runs FairDrawV1.verify, shows the verdict first, then the draw, and
 * lets a member look up their own entry. Chinese and English; all text goes in through textContent.
 */
(function (global) {
  'use strict';

  var TEXT = {
    en: {
      title: 'Is this draw fair? Check it yourself',
      switchTo: '中文',
      checking: 'Checking the draw on this phone…',
      valid: 'Verified: the winners follow from the published inputs',
      invalid: 'Not verified: this proof does not add up',
      firstDifference: 'First difference',
      broken: 'The check could not run',
      checkedIn: 'Recomputed on this device in {ms} ms with {impl}',
      implWebcrypto: 'WebCrypto',
      implJs: 'the built-in JavaScript SHA-256 (no WebCrypto here)',
      implChecked: 'the built-in JavaScript SHA-256, checked against WebCrypto on this device',
      checkCommitment: 'The seed matches the commitment published before the close (SHA-256)',
      checkRoot: 'The entries give the published entries root (RFC 6962 Merkle tree)',
      checkWinners: 'The winners follow from the seed, the entries and the public entropy',
      checkDrand: 'The public entropy is the randomness of the drand round named at creation (bound by the commitment), published at or after the close',
      drandRound: 'drand round',
      drandRoundValue: '{chain} round {round}, published {publishedAt}',
      closedAt: 'Entries closed at',
      drandSource: 'drand {chain} round {round}: its randomness; the round was named when the draw was created. The relay\'s BLS signature is not checked here: compare the randomness with any drand relay.',
      lookupTitle: 'Find your entry',
      lookupHint: 'Type or paste your member id',
      lookupButton: 'Check',
      lookupNotFound: 'No entry with this id in this draw.',
      lookupWaiting: 'Wait until the check above has finished.',
      lookupFound: 'Your entry is in the draw',
      lookupPathOk: 'Its inclusion path leads to the published entries root: your entry was in the draw, with this weight, when it closed.',
      lookupPathBad: 'Its inclusion path does NOT lead to the published entries root.',
      lookupWon: 'This entry won:',
      weight: 'Tickets (weight)',
      leafIndex: 'Position',
      path: 'Inclusion path',
      drawTitle: 'The draw',
      drawId: 'Draw id',
      tiers: 'Prizes',
      entryCount: 'Entries',
      totalWeight: 'Tickets in total',
      winners: 'Winners',
      tier: 'Prize',
      slot: 'Slot',
      entry: 'Entry',
      ticket: 'Ticket',
      replaces: 'Replaces',
      noWinner: '(nobody left to draw)',
      forfeits: 'Forfeits and replacements',
      noForfeits: 'No winner forfeited.',
      forfeitLine: '{lost} forfeited {tier} #{slot}; replaced by {by}',
      moreRows: '… and {n} more',
      commitment: 'Commitment (SHA-256 of the seed)',
      commitmentDrand: 'Commitment (SHA-256 of the seed and the drand round)',
      entriesRoot: 'Entries root',
      serverSeed: 'Server seed (revealed)',
      publicEntropy: 'Public entropy',
      entropySource: 'Where the public entropy came from',
      entropyNotStated: 'not stated (the proof carries only the bytes)',
      entropyText: 'as text',
      empty: '(empty)',
      how: 'How this works: the organiser published the commitment before entries closed; the entries were frozen under the entries root at the close; the public entropy was fixed after the close. This page recomputes everything from the proof, on your phone, following fair-draw/v1. It sends nothing anywhere.'
    },
    'zh-CN': {
      title: '这次抽奖公平吗？自己验证',
      switchTo: 'English',
      checking: '正在本机验证抽奖…',
      valid: '验证通过：中奖结果由公开的数据算出',
      invalid: '验证未通过：这份证明对不上',
      firstDifference: '第一处不一致',
      broken: '验证无法运行',
      checkedIn: '已在本设备用 {impl} 重新计算，耗时 {ms} 毫秒',
      implWebcrypto: 'WebCrypto',
      implJs: '内置 JavaScript SHA-256（此处没有 WebCrypto）',
      implChecked: '内置 JavaScript SHA-256（已在本设备与 WebCrypto 核对）',
      checkCommitment: '种子与截止前公布的承诺值一致（SHA-256）',
      checkRoot: '参与名单算出的根与公布的名单根一致（RFC 6962 默克尔树）',
      checkWinners: '中奖者由种子、参与名单和公开随机数算出',
      checkDrand: '公开随机数是创建时指定的 drand 轮次的随机数（承诺值已绑定该轮次），且该轮次在截止时或之后才产生',
      drandRound: 'drand 轮次',
      drandRoundValue: '{chain} 第 {round} 轮，产生于 {publishedAt}',
      closedAt: '报名截止时间',
      drandSource: 'drand {chain} 第 {round} 轮的随机数；该轮次在创建抽奖时已指定。本页不校验中继的 BLS 签名：可向任一 drand 中继核对随机数。',
      lookupTitle: '查找我的参与记录',
      lookupHint: '输入或粘贴你的成员 ID',
      lookupButton: '查询',
      lookupNotFound: '本次抽奖中没有这个 ID。',
      lookupWaiting: '请等上面的验证完成。',
      lookupFound: '你在本次抽奖中',
      lookupPathOk: '包含路径指向公布的名单根：截止时你以这个权重参与了抽奖。',
      lookupPathBad: '包含路径没有指向公布的名单根。',
      lookupWon: '此记录中奖：',
      weight: '抽奖券（权重）',
      leafIndex: '位置',
      path: '包含路径',
      drawTitle: '抽奖信息',
      drawId: '抽奖 ID',
      tiers: '奖项',
      entryCount: '参与人数',
      totalWeight: '抽奖券总数',
      winners: '中奖名单',
      tier: '奖项',
      slot: '名额',
      entry: '参与者',
      ticket: '中奖券号',
      replaces: '替补',
      noWinner: '（已无人可抽）',
      forfeits: '放弃与替补',
      noForfeits: '没有中奖者放弃。',
      forfeitLine: '{lost} 放弃了 {tier} 第 {slot} 名；由 {by} 替补',
      moreRows: '… 另有 {n} 条',
      commitment: '承诺值（种子的 SHA-256）',
      commitmentDrand: '承诺值（种子与 drand 轮次的 SHA-256）',
      entriesRoot: '参与名单根',
      serverSeed: '服务器种子（已公开）',
      publicEntropy: '公开随机数',
      entropySource: '公开随机数来源',
      entropyNotStated: '未说明（证明中只有数据本身）',
      entropyText: '文本形式',
      empty: '（空）',
      how: '原理：主办方在截止前公布承诺值；截止时参与名单被固定为名单根；公开随机数在截止后才确定。本页按 fair-draw/v1 在你的手机上从证明重新计算一切，不向任何地方发送数据。'
    }
  };

  var MAX_ROWS = 500;
  var state = { lang: 'en', result: null, error: null, proof: null, config: {}, lookup: null, lookupId: '' };

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    var s = TEXT[state.lang][key];
    if (values) {
      for (var k in values) {
        if (Object.prototype.hasOwnProperty.call(values, k)) {
          s = s.split('{' + k + '}').join(String(values[k]));
        }
      }
    }
    return s;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function query(name) {
    var m = new RegExp('[?&]' + name + '=([^&#]*)').exec(global.location.search || '');
    return m ? decodeURIComponent(m[1]) : null;
  }

  function pickLanguage(config) {
    var asked = query('lang') || config.lang;
    if (asked === 'en' || asked === 'zh-CN') {
      return asked;
    }
    var nav = (global.navigator && (global.navigator.language || global.navigator.userLanguage)) || 'en';
    return /^zh/i.test(nav) ? 'zh-CN' : 'en';
  }

  /** Readable text of the entropy bytes when they are printable UTF-8 (published lottery numbers, a round). */
  function entropyAsText(hex) {
    if (!hex) {
      return null;
    }
    var bytes = global.FairDrawV1.fromHex(hex);
    if (!bytes) {
      return null;
    }
    var s = '';
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
        return null;
      }
      s += String.fromCharCode(bytes[i]);
    }
    return s;
  }

  var DRAND_NAMES = {
    '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': 'quicknet',
    '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce': 'mainnet'
  };

  /** When the proof's round was published, from the verifier's result (it knows the chains), else as stated. */
  function drandTime(d) {
    var r = state.result;
    return r && r.drand && r.drand.round === d.round ? r.drand.publishedAt : '?';
  }

  function fact(list, key, value, mono, label) {
    var dt = el('dt', null, t(label || key));
    var dd = el('dd', mono ? 'hex' : null, value === '' ? t('empty') : value);
    dd.setAttribute('data-field', key);
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function renderVerdict() {
    var box = $('verdict');
    var text = $('verdict-text');
    var diff = $('difference');
    var meta = $('verdict-meta');
    clear(diff);
    meta.textContent = '';
    if (state.error) {
      box.className = 'verdict invalid';
      text.textContent = t('broken');
      diff.textContent = state.error;
      return;
    }
    if (!state.result) {
      box.className = 'verdict pending';
      text.textContent = t('checking');
      return;
    }
    var r = state.result;
    box.className = 'verdict ' + (r.valid ? 'valid' : 'invalid');
    text.textContent = r.valid ? t('valid') : t('invalid');
    if (!r.valid) {
      diff.appendChild(el('span', 'label', t('firstDifference') + ': '));
      var code = el('code', 'hex', r.text);
      code.id = 'difference-text';
      diff.appendChild(code);
    }
    meta.textContent = t('checkedIn', { ms: r.ms, impl: r.impl === 'js' ? t('implJs') : r.impl === 'webcrypto+js' ? t('implChecked') : t('implWebcrypto') });
  }

  function renderChecks() {
    var list = clear($('checks'));
    var r = state.result;
    var items = [['commitment', 'checkCommitment'], ['entriesRoot', 'checkRoot'], ['winners', 'checkWinners']];
    if (state.proof && state.proof.drand) {
      items.push(['drand', 'checkDrand']);
    }
    for (var i = 0; i < items.length; i++) {
      var ok = r ? r.checks[items[i][0]] : null;
      var li = el('li', ok === true ? 'ok' : ok === false ? 'bad' : 'unknown');
      li.setAttribute('data-check', items[i][0]);
      li.setAttribute('data-ok', ok === true ? 'true' : ok === false ? 'false' : 'unknown');
      li.appendChild(el('span', 'mark', ok === true ? '✓' : ok === false ? '✗' : '…'));
      li.appendChild(el('span', null, ' ' + t(items[i][1])));
      list.appendChild(li);
    }
  }

  function winnerRows() {
    var r = state.result;
    if (r && r.computed && r.computed.winners) {
      return r.computed.winners;
    }
    return (state.proof && Array.isArray(state.proof.winners)) ? state.proof.winners : [];
  }

  function renderDraw() {
    var p = state.proof;
    var facts = clear($('facts'));
    if (!p || typeof p !== 'object') {
      return;
    }
    fact(facts, 'drawId', String(p.drawId));
    var tiers = Array.isArray(p.prizes) ? p.prizes.map(function (x) { return x.tier + ' × ' + x.count; }).join(', ') : '';
    fact(facts, 'tiers', tiers);
    fact(facts, 'entryCount', String(p.entryCount));
    fact(facts, 'totalWeight', String(p.totalWeight));
    fact(facts, 'commitment', String(p.commitment), true, p.drand ? 'commitmentDrand' : null);
    fact(facts, 'entriesRoot', String(p.entriesRoot), true);
    fact(facts, 'serverSeed', String(p.serverSeed), true);
    fact(facts, 'publicEntropy', String(p.publicEntropy), true);
    var d = p.drand && typeof p.drand === 'object' ? p.drand : null;
    if (d) {
      var chain = DRAND_NAMES[d.chain] || String(d.chain);
      fact(facts, 'drandRound', t('drandRoundValue', { chain: chain, round: d.round, publishedAt: drandTime(d) }));
      fact(facts, 'closedAt', String(d.closedAt), true);
      fact(facts, 'entropySource', t('drandSource', { chain: chain, round: d.round }));
    } else {
      var asText = entropyAsText(p.publicEntropy);
      var source = state.config.entropySource ? String(state.config.entropySource) : t('entropyNotStated');
      fact(facts, 'entropySource', asText ? source + ' — ' + t('entropyText') + ': "' + asText + '"' : source);
    }

    $('winners-title').textContent = t('winners');
    var table = clear($('winners'));
    var head = el('tr');
    ['tier', 'slot', 'entry', 'ticket'].forEach(function (k) { head.appendChild(el('th', null, t(k))); });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    var rows = winnerRows();
    var shown = 0;
    for (var i = 0; i < rows.length && shown < MAX_ROWS; i++) {
      var w = rows[i];
      if (w.replaces !== undefined && w.replaces !== null) {
        continue;
      }
      var tr = el('tr');
      tr.setAttribute('data-entry', w.entry === null ? '' : w.entry);
      tr.setAttribute('data-ticket', w.ticket === null ? '' : String(w.ticket));
      tr.appendChild(el('td', null, w.tier));
      tr.appendChild(el('td', null, String(w.slot + 1)));
      tr.appendChild(el('td', 'id', w.entry === null ? t('noWinner') : w.entry));
      tr.appendChild(el('td', null, w.ticket === null ? '' : String(w.ticket)));
      body.appendChild(tr);
      shown++;
    }

    $('forfeits-title').textContent = t('forfeits');
    var forfeits = clear($('forfeits'));
    var replacements = rows.filter(function (w) { return w.replaces !== undefined && w.replaces !== null; });
    if (replacements.length === 0) {
      forfeits.appendChild(el('li', null, t('noForfeits')));
    }
    for (var j = 0; j < replacements.length && j < MAX_ROWS; j++) {
      var x = replacements[j];
      var li = el('li', 'id', t('forfeitLine', {
        lost: x.replaces, tier: x.tier, slot: x.slot + 1,
        by: x.entry === null ? t('noWinner') : x.entry + ' (' + t('ticket') + ' ' + x.ticket + ')'
      }));
      li.setAttribute('data-replaces', x.replaces);
      li.setAttribute('data-entry', x.entry === null ? '' : x.entry);
      li.setAttribute('data-ticket', x.ticket === null ? '' : String(x.ticket));
      forfeits.appendChild(li);
    }
    if (rows.length > MAX_ROWS) {
      forfeits.appendChild(el('li', null, t('moreRows', { n: rows.length - MAX_ROWS })));
    }
  }

  function renderLookup() {
    $('lookup-title').textContent = t('lookupTitle');
    $('member-id').setAttribute('placeholder', t('lookupHint'));
    $('member-id').setAttribute('aria-label', t('lookupHint'));
    $('lookup-button').textContent = t('lookupButton');
    var out = clear($('lookup-result'));
    var l = state.lookup;
    if (l === null) {
      out.removeAttribute('data-inclusion');
      return;
    }
    if (l === 'waiting') {
      out.setAttribute('data-inclusion', 'waiting');
      out.appendChild(el('p', null, t('lookupWaiting')));
      return;
    }
    if (l === 'absent') {
      out.setAttribute('data-inclusion', 'absent');
      out.appendChild(el('p', 'bad', t('lookupNotFound')));
      return;
    }
    out.setAttribute('data-inclusion', l.valid ? 'valid' : 'invalid');
    out.appendChild(el('p', l.valid ? 'ok' : 'bad', (l.valid ? '✓ ' : '✗ ') + t('lookupFound') + ': ' + l.id));
    var dl = out.appendChild(el('dl'));
    dl.appendChild(el('dt', null, t('weight')));
    var weight = dl.appendChild(el('dd', null, String(l.weight)));
    weight.setAttribute('data-field', 'weight');
    dl.appendChild(el('dt', null, t('leafIndex')));
    dl.appendChild(el('dd', null, (l.leafIndex + 1) + ' / ' + l.treeSize));
    dl.appendChild(el('dt', null, t('path')));
    var path = dl.appendChild(el('dd', 'hex'));
    path.setAttribute('data-field', 'path');
    path.setAttribute('data-steps', String(l.path.length));
    l.path.forEach(function (step) { path.appendChild(el('div', null, step)); });
    out.appendChild(el('p', l.valid ? 'ok' : 'bad', l.valid ? t('lookupPathOk') : t('lookupPathBad')));
    var won = winnerRows().filter(function (w) { return w.entry === l.id; });
    if (won.length > 0) {
      out.appendChild(el('p', 'ok won', t('lookupWon') + ' ' + won[0].tier + ' #' + (won[0].slot + 1)));
    }
  }

  function render() {
    document.documentElement.setAttribute('lang', state.lang);
    document.title = t('title');
    $('title').textContent = t('title');
    $('lang-switch').textContent = t('switchTo');
    $('draw-title').textContent = t('drawTitle');
    $('how').textContent = t('how');
    renderVerdict();
    renderChecks();
    renderLookup();
    renderDraw();
  }

  function doLookup(event) {
    if (event) {
      event.preventDefault();
    }
    var id = $('member-id').value;
    state.lookupId = id;
    if (!state.result || !state.result.computed) {
      state.lookup = 'waiting';
      renderLookup();
      return;
    }
    global.FairDrawV1.lookup(state.result.computed, state.proof.entriesRoot, id).then(function (found) {
      state.lookup = found === null ? 'absent' : found;
      renderLookup();
    });
  }

  function start() {
    try {
      state.config = JSON.parse($('draw-page-config').textContent);
    } catch (e) {
      state.config = {};
    }
    state.lang = pickLanguage(state.config);
    $('lang-switch').addEventListener('click', function () {
      state.lang = state.lang === 'en' ? 'zh-CN' : 'en';
      render();
    });
    $('lookup-form').addEventListener('submit', doLookup);
    try {
      state.proof = JSON.parse($('draw-proof').textContent);
    } catch (e) {
      state.error = 'proof: ' + e.message;
    }
    render();
    if (state.error) {
      $('verdict').setAttribute('data-verdict', 'invalid');
      return;
    }
    var impl = query('impl') || 'auto';
    var verdict;
    try {
      verdict = global.FairDrawV1.verify(state.proof, { impl: impl });
    } catch (e) {
      verdict = Promise.reject(e);
    }
    verdict.then(function (result) {
      state.result = result;
      render();
      var box = $('verdict');
      box.setAttribute('data-impl', result.impl);
      box.setAttribute('data-ms', String(result.ms));
      if (global.performance && global.performance.now) {
        box.setAttribute('data-since-open', String(Math.round(global.performance.now())));
      }
      box.setAttribute('data-verdict', result.valid ? 'valid' : 'invalid');
      if (!result.valid) {
        box.setAttribute('data-field', result.difference.field);
      }
    }, function (e) {
      state.error = String(e && e.message ? e.message : e);
      render();
      $('verdict').setAttribute('data-verdict', 'invalid');
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})(window);
