import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The machine running the tests is shared; the default 1 s wait flakes under load.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
