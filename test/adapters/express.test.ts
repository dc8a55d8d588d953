import express from 'express';
import { expressConformance } from './apps/express-app.js';

expressConformance('express 5', express);
