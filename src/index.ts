// Entry point of the bundle. Exits explicitly: an abandoned (hung) request must not keep the step alive.
import './heap.js' // first: it sets V8's heap sizing before anything allocates
import { main } from './main.js'

await main()
process.exit(process.exitCode ?? 0)
