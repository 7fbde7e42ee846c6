#!/usr/bin/env node
// The one `flotilla` entry point; the compiled CLI lives in apps/cli/dist.
'use strict';
require('../dist/main.js');
