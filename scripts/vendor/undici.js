// The parts of undici the extension's REST client uses (cmf-client/src/undici.ts), bundled into dist/undici.js
// and loaded on the first request. undici's index also brings fetch, WebSocket, caches and mocks (535 KB
// minified); these parts are 320 KB. As undici's index does, the request API is added to every dispatcher.
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

Object.assign(Dispatcher.prototype, api);

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  buildConnector: require('undici/lib/core/connect'),
};
