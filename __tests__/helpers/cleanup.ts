// Every test file: its temporary directories go when it ends.
import { removeTempDirs } from '../../testcluster/tmp.js'

afterAll(() => removeTempDirs())
